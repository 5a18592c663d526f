# relsim::warnings — the warning flags every relsim target builds with.
add_library(relsim_warnings INTERFACE)
target_compile_options(relsim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${RELSIM_WERROR}>:-Werror>)
# GCC 12 (Debian 12's compiler) reports -Wmaybe-uninitialized and -Wrestrict
# false positives inside libstdc++'s std::string when aggregates holding
# strings are brace-initialised at -O2 (GCC bugs 105593, 105651). They stay
# visible as warnings but do not fail the build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(relsim_warnings INTERFACE
    -Wno-error=maybe-uninitialized -Wno-error=restrict)
endif()
add_library(relsim::warnings ALIAS relsim_warnings)
