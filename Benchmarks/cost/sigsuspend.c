/* Preloaded into the server only under callgrind (Benchmarks/cost.sh).
 *
 * valgrind 3.19 (Debian 12's) edits the signal mask it is given in rt_sigsuspend in place, to
 * keep its own signals out of it; libdispatch's dispatch_main() passes a mask that lives in
 * read-only memory, and valgrind dies of the write. Handing the kernel a copy on the stack
 * instead changes nothing for the program. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
