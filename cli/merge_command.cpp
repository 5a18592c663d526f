// placeholder, replaced below
#include "cli/commands.hpp"
namespace relsim::cli {
void add_merge_command(CLI::App&) {}
}  // namespace relsim::cli
