#include "app/cli.h"

int main(int argc, char** argv) {
  return numberdesk::RunCli(argc, argv);
}
