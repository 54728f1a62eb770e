using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench gateway</c>: the gateway's sustained publish rate through its whole path (read a recording, encode,
/// append to the on-disk buffer, read back, publish at QoS 1, confirmed by the broker's PUBACK) against a private
/// Mosquitto, compared in the same run with the broker's own <c>mosquitto_pub</c> sending the same payloads; and the
/// waveform frame's bytes per sample. Last line: <c>gateway samples_per_s=N rows_per_s=R waveform_bytes_per_sample=B</c>.</summary>
public static class GatewayBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<int> RunAsync(GatewayBenchSettings settings, CancellationToken cancellationToken)
    {
        int rows = settings.Rows;
        int sensors = settings.Sensors;
        int batch = settings.Batch;

        var work = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-gateway-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            await using var broker = await LocalMosquitto.StartNewAsync(cancellationToken: cancellationToken);
            var file = Path.Combine(work, "recording.csv");
            WriteRecording(file, rows, sensors);
            Console.WriteLine($"bench gateway: replay of {rows} rows × {sensors} sensors at max speed, {batch} rows per message, QoS 1, confirm: broker");

            var site = "bench";
            var config = GatewayConfigFile.Parse($$"""
                site: {{site}}
                rig: replay-1
                broker: { host: 127.0.0.1, port: {{broker.Port}} }
                replay: { file: '{{file}}', speed: max, timestamps: shifted }
                publish: { batch_interval: 1s, max_rows_per_batch: {{batch}} }
                buffer: { dir: '{{Path.Combine(work, "buffer")}}', max_mb: 512, fsync_interval: 1s }
                delivery: { confirm: broker, live_window: 1h }
                """, "bench.yaml");
            var gateway = new RigGateway(config, null, TimeProvider.System, NullLogger<RigGateway>.Instance);
            var clock = Stopwatch.StartNew();
            await gateway.StartAsync(cancellationToken);
            await gateway.Ready;
            while (gateway.Replay!.RowsPublished < rows || gateway.BufferStatistics is not { UnconfirmedRows: 0 })
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("the gateway did not finish within 10 minutes");
                await Task.Delay(10, cancellationToken);
            }
            var gatewaySeconds = clock.Elapsed.TotalSeconds;
            long payloadBytes = gateway.BytesWritten.Values.Sum();
            await gateway.StopAsync(cancellationToken);

            // The same payload volume from the broker's own client, in the same run: the broker's ceiling for this load.
            int messages = (rows + batch - 1) / batch;
            double referenceSeconds = await MosquittoPubAsync(broker.Port, messages, (int)(payloadBytes / messages), cancellationToken);

            var frameBytes = WaveformBytesPerSample();
            double rowsPerSecond = rows / gatewaySeconds;
            Console.WriteLine($"gateway: {rows} rows in {gatewaySeconds:F2} s = {rowsPerSecond:F0} rows/s, {rowsPerSecond * sensors:F0} samples/s, {payloadBytes / (double)rows / sensors:F1} JSON bytes/sample");
            Console.WriteLine($"mosquitto_pub (same run, {messages} messages of {payloadBytes / messages} bytes, QoS 1): {referenceSeconds:F2} s = {rows / referenceSeconds:F0} rows/s equivalent");
            Console.WriteLine($"waveform frame (3 axes × 2048 float32 + JSON header): {frameBytes:F3} bytes/sample; at 12.8 kHz: {12_800.0 / 2048:F2} frames/s, {12_800 * 3 * frameBytes / 1024:F0} KiB/s per motor");
            Console.WriteLine($"gateway samples_per_s={rowsPerSecond * sensors:F0} rows_per_s={rowsPerSecond:F0} waveform_bytes_per_sample={frameBytes:F3}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void WriteRecording(string path, int rows, int sensors)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("datetime");
        for (int s = 0; s < sensors; s++) writer.Write($";sensor{s}");
        writer.Write(";anomaly;changepoint\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var random = new Random(1);
        for (int r = 0; r < rows; r++)
        {
            writer.Write(start.AddSeconds(r).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            for (int s = 0; s < sensors; s++) writer.Write(';' + Math.Round(random.NextDouble() * 100, 5).ToString(CultureInfo.InvariantCulture));
            writer.Write(";0;0\n");
        }
    }

    private static async Task<double> MosquittoPubAsync(int port, int messages, int size, CancellationToken cancellationToken)
    {
        // mosquitto_pub -l sends one message per stdin line; below 65,535 messages, so its message ids do not wrap.
        var line = new string('x', Math.Max(1, size)) + "\n";
        var start = new ProcessStartInfo("mosquitto_pub")
        {
            ArgumentList = { "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "fieldlab/bench/reference/samples", "-l" },
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        for (int i = 0; i < messages; i++) await process.StandardInput.WriteAsync(line.AsMemory(), cancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }

    private static double WaveformBytesPerSample()
    {
        var rig = new MotorRig(1, 2, 12_800, 3);
        var samples = new float[3 * 2048];
        rig.Vibration.Generate(samples, 2048);
        var frame = new WaveformFrame("vibration", 0, UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow), 12_800, ["accel_x", "accel_y", "accel_z"], "m/s2", samples);
        return frame.Encode().Length / (3.0 * 2048);
    }
}
