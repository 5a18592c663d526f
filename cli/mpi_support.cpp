// MPI or its one-process stubs (see mpi_support.hpp).
#include "cli/mpi_support.hpp"

#ifdef RELSIM_MPI
// The C API only: OpenMPI's deprecated C++ bindings need another library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace relsim::cli {

#ifdef RELSIM_MPI

namespace {
bool g_started = false;
}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  int already = 0;
  MPI_Initialized(&already);
  if (already == 0) {
    MPI_Init(&argc, &argv);
    g_started = true;
  }
}

MpiSession::~MpiSession() {
  if (g_started) MPI_Finalize();
  g_started = false;
}

int mpi_rank() {
  int rank = 0;
  if (g_started) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int mpi_size() {
  int size = 1;
  if (g_started) MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

bool mpi_all_ok(bool ok) {
  if (!g_started) return ok;
  int mine = ok ? 1 : 0;
  int all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

std::uint64_t mpi_broadcast(std::uint64_t value) {
  if (!g_started) return value;
  unsigned long long v = value;
  MPI_Bcast(&v, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  return v;
}

#else

MpiSession::MpiSession(int&, char**&) {}
MpiSession::~MpiSession() = default;
int mpi_rank() { return 0; }
int mpi_size() { return 1; }
bool mpi_all_ok(bool ok) { return ok; }
std::uint64_t mpi_broadcast(std::uint64_t value) { return value; }

#endif

}  // namespace relsim::cli
