#include "app/app.hpp"

extern char** environ;

int main(int argc, char** argv) { return cubeauth::app::run(argc, argv, environ); }
