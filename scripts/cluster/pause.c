/*
 * The sandbox ("pause") process of every pod in the test cluster. Kubernetes' own pause image
 * comes from a registry, which this machine cannot reach, so scripts/images.sh compiles this
 * instead. Like upstream's, it only holds the pod's namespaces open: it sleeps until it is told to
 * stop, and as PID 1 of the pod it reaps orphaned children so that none stays a zombie.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal) { _exit(0); }

static void reap(int signal) {
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_stop = {.sa_handler = stop};
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  if (sigaction(SIGINT, &on_stop, NULL) < 0 || sigaction(SIGTERM, &on_stop, NULL) < 0 ||
      sigaction(SIGCHLD, &on_child, NULL) < 0) {
    return 1;
  }
  for (;;) {
    pause();
  }
}
