// The program: reads the configuration, wires the layers, serves until a signal.
#pragma once

namespace cubeauth::app {

/// Returns the process exit code: 0 after a clean shutdown, 1 when the server
/// cannot start, 2 for a bad configuration value.
int run(int argc, char** argv, char** environ);

}  // namespace cubeauth::app
