#ifndef NUMBERDESK_APP_CLI_H_
#define NUMBERDESK_APP_CLI_H_

namespace numberdesk {

// RunCli parses the command line and runs one command: serve, init, demo,
// account, user or token. Returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace numberdesk

#endif  // NUMBERDESK_APP_CLI_H_
