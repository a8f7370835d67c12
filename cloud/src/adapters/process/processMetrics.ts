import type { MetricsRegistry } from "../../services/MetricsRegistry.js";

/**
 * The process's own metrics, read at scrape time, under the names Prometheus client libraries use
 * (`process_*`, `nodejs_*`) so existing dashboards and alerts work unchanged.
 */
export function processMetrics(registry: MetricsRegistry): void {
  const startedAtS = Math.round(Date.now() / 1000 - process.uptime());
  registry.register("process_cpu_user_seconds_total", "User CPU time spent, seconds.", "counter", () => [
    { value: process.cpuUsage().user / 1e6 },
  ]);
  registry.register("process_cpu_system_seconds_total", "System CPU time spent, seconds.", "counter", () => [
    { value: process.cpuUsage().system / 1e6 },
  ]);
  registry.register("process_cpu_seconds_total", "User and system CPU time spent, seconds.", "counter", () => {
    const cpu = process.cpuUsage();
    return [{ value: (cpu.user + cpu.system) / 1e6 }];
  });
  registry.register("process_resident_memory_bytes", "Resident memory size, bytes.", "gauge", () => [
    { value: process.memoryUsage.rss() },
  ]);
  registry.register("nodejs_heap_size_used_bytes", "V8 heap in use, bytes.", "gauge", () => [
    { value: process.memoryUsage().heapUsed },
  ]);
  registry.register("nodejs_heap_size_total_bytes", "V8 heap allocated, bytes.", "gauge", () => [
    { value: process.memoryUsage().heapTotal },
  ]);
  registry.register("process_start_time_seconds", "Start time of the process since the Unix epoch, seconds.", "gauge", () => [
    { value: startedAtS },
  ]);
}
