// Preloaded into every child the harness starts: if the test process that started this child dies
// (even by SIGKILL, when no exit hook runs), the child is reparented and kills itself, so a test
// run can never leave a server behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 250).unref();
