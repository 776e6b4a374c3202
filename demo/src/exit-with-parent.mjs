// Preloaded (node --import) into the hub and edge processes the demo starts with an IPC channel:
// when the channel closes because the demo process died, even by SIGKILL, the child gets SIGTERM and
// shuts down as on Ctrl+C. A channel that closed before this preload ran counts too. The channel is
// unreferenced, so it alone never keeps the child running.
if (process.send !== undefined) {
  const stop = () => process.kill(process.pid, 'SIGTERM');
  if (process.connected) {
    process.once('disconnect', stop);
    process.channel?.unref();
  } else {
    stop();
  }
}
