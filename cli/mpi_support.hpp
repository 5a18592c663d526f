// The optional MPI layer of the relsim program (`-DRELSIM_MPI=ON`, Debian's
// OpenMPI; docs/scaling.md). Under `mpirun -n N relsim run ...` each rank
// runs shard rank/N of the trials and writes it to a part file; rank 0 then
// merges the parts exactly as `relsim merge` does, so the result is
// bit-identical to a single run. Built without MPI every function is a
// one-process stub (rank 0 of 1). Call from the main thread only.
#pragma once

#include <cstdint>

namespace relsim::cli {

/// Initialises MPI (no-op without it). Finalised by ~MpiSession.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

/// This process's rank and the number of ranks (0 and 1 without MPI).
int mpi_rank();
int mpi_size();

/// True on every rank when `ok` is true on every rank (a collective call).
bool mpi_all_ok(bool ok);

/// Rank 0's `value` on every rank (a collective call).
std::uint64_t mpi_broadcast(std::uint64_t value);

}  // namespace relsim::cli
