using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Load;

/// <summary>The synthetic rig the ingest benchmark and the chaos runs publish as: one stream of pump-like sensors.</summary>
public static class BenchRig
{
    /// <summary>Sensor ids of the stream.</summary>
    public static string[] Sensors(int count) => [.. Enumerable.Range(0, count).Select(i => i < PumpNames.Length ? PumpNames[i] : $"sensor_{i}")];

    private static readonly string[] PumpNames = ["flow", "suction_pressure", "discharge_pressure", "motor_power", "motor_current", "motor_temperature", "vibration_rms", "speed"];

    /// <summary>The birth message of the bench rig.</summary>
    public static RigBirth Birth(int sensors, double rateHz) => new()
    {
        Kind = "other",
        Description = "Synthetic load for benchmarks and chaos runs",
        Streams = [new StreamSpec { Id = "bench", RateHz = rateHz, Sensors = [.. Sensors(sensors).Select(s => new SensorSpec { Id = s, Unit = "1" })] }],
    };

    /// <summary>A deterministic value of sensor <paramref name="sensor"/> in row <paramref name="seq"/> (checkable after storage).</summary>
    public static double Value(long seq, int sensor) => Math.Round(Math.Sin(seq * 0.001 + sensor) * 100, 6);
}
