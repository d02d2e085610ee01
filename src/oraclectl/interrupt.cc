#include "interrupt.h"

#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <mutex>
#include <thread>

namespace oracle::ctl {
namespace {

std::mutex g_interrupt_mu;
bool g_interrupt_handled = false;                 // guarded by g_interrupt_mu
bool g_interrupt_requested = false;               // guarded by g_interrupt_mu
grpc::ClientContext* g_interrupt_call = nullptr;  // guarded by g_interrupt_mu
std::string g_interrupt_remove_path;              // guarded by g_interrupt_mu

}  // namespace

void StartInterruptThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int sig = 0;
    while (sigwait(&set, &sig) == 0) {
      std::lock_guard<std::mutex> lock(g_interrupt_mu);
      if (!g_interrupt_handled || g_interrupt_requested) {
        if (!g_interrupt_remove_path.empty()) unlink(g_interrupt_remove_path.c_str());
        _exit(128 + sig);
      }
      g_interrupt_requested = true;
      if (g_interrupt_call != nullptr) g_interrupt_call->TryCancel();
    }
  }).detach();
}

void StopCleanlyOnInterrupt() {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_handled = true;
}

void RemoveOnForcedExit(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_remove_path = path;
}

bool Interrupted() {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  return g_interrupt_requested;
}

InterruptibleCall::InterruptibleCall(grpc::ClientContext* ctx) {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_call = ctx;
  if (g_interrupt_requested) ctx->TryCancel();
}

InterruptibleCall::~InterruptibleCall() {
  std::lock_guard<std::mutex> lock(g_interrupt_mu);
  g_interrupt_call = nullptr;
}

}  // namespace oracle::ctl
