using System.Globalization;
using System.Text;

namespace Fieldlab.Datasets.Tests;

/// <summary>A small two-rig dataset with awkward values: missing cells, numbers that need all 17 digits, sub-µs times.</summary>
internal static class TestData
{
    public static readonly DatasetColumn[] Sensors =
    [
        DatasetColumn.Sensor("flow", "m³/h", "Volume flow"),
        DatasetColumn.Sensor("pressure", "bar", "Outlet pressure"),
        DatasetColumn.Sensor("vib_rms", "mm/s", null),
    ];

    public static DatasetTableSpec Spec { get; } = DatasetTableSpec.ForSensors("samples", Sensors);

    public static IReadOnlyDictionary<(string Rig, string Stream), ReplayHeader> Replay { get; } = new Dictionary<(string, string), ReplayHeader>
    {
        [("pump-2", "process")] = new("lab", "pump-2", "process", "pump", ["flow", "pressure"], ["m³/h", "bar"]),
        [("pump-1", "vibration")] = new("lab", "pump-1", "vibration", "pump", ["vib_rms"], ["mm/s"]),
        [("pump-1", "process")] = new("lab", "pump-1", "process", "pump", ["flow", "pressure"], ["m³/h", "bar"]),
    };

    public static readonly double[] Awkward = [0.1, 1.0 / 3, -2.5e-300, 123456789.12345679, double.MaxValue, double.Epsilon, -0.0, 1e21, 42];

    /// <summary>Rows sorted by (time, rig, stream); <paramref name="subMicro"/> adds 7 ns to every time (which Parquet,
    /// at 100 ns, cannot hold).</summary>
    public static List<SampleRow> Rows(int count = 30, bool subMicro = true)
    {
        var rows = new List<SampleRow>();
        long t0 = 1_795_000_000_000_000_000L; // 2026-11-17
        for (int i = 0; i < count; i++)
        {
            long t = t0 + i * 10_000_000L + (subMicro ? 7 : 0);
            double? a = i % 5 == 3 ? null : Awkward[i % Awkward.Length] / (i + 1);
            double? b = i % 4 == 1 ? null : Awkward[(i + 3) % Awkward.Length];
            rows.Add(new SampleRow(t, "pump-1", "process", [a, b, null]));
            if (i % 2 == 0) rows.Add(new SampleRow(t, "pump-1", "vibration", [null, null, i % 6 == 4 ? null : Awkward[(i + 5) % Awkward.Length]]));
            rows.Add(new SampleRow(t, "pump-2", "process", [b, a, null]));
        }
        return rows;
    }

    public static DatasetDescription Description(int version = 1) => new(
        "pump-lab-2026", version, "Pump lab, week 47", "lab",
        [
            new DatasetRig("pump-1", "pump", "Centrifugal pump, bay 1", [new DatasetStream("process", 10, Sensors[..2]), new DatasetStream("vibration", 2.5, Sensors[2..])]),
            new DatasetRig("pump-2", "pump", null, [new DatasetStream("process", 10, Sensors[..2])]),
        ],
        new DateTimeOffset(2026, 11, 17, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 17, 9, 0, 0, TimeSpan.Zero),
        "j.doe", new DateTimeOffset(2026, 11, 22, 7, 6, 23, TimeSpan.FromHours(1)), "CC-BY-4.0");

    /// <summary>Writes the rows into a directory and returns the files.</summary>
    public static async Task<IReadOnlyList<DatasetFile>> WriteAsync(string directory, IEnumerable<SampleRow> rows, int rowGroupRows = 50_000)
    {
        await using var writer = new SamplesTableWriter(directory, Spec, Replay, rowGroupRows);
        foreach (var row in rows) await writer.WriteAsync(row, CancellationToken.None);
        return await writer.CompleteAsync(CancellationToken.None);
    }

    /// <summary>A strict RFC 4180 reader (quoted cells, doubled quotes, \n records) for checking what we wrote.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n') { cells.Add(cell.ToString()); cell.Clear(); records.Add([.. cells]); cells.Clear(); }
            else cell.Append(c);
        }
        Assert.True(cell.Length == 0 && cells.Count == 0, "the file must end with a line end");
        return records;
    }

    public static double? ParseCell(string cell) => cell.Length == 0 ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Bitwise equality, so -0.0 vs 0.0 or a last-digit change is caught.</summary>
    public static void SameValues(double?[] expected, double?[] actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].HasValue == actual[i].HasValue, $"{where} value {i}: expected {expected[i]?.ToString("R") ?? "missing"}, got {actual[i]?.ToString("R") ?? "missing"}");
            if (expected[i] is { } e) Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(actual[i]!.Value), $"{where} value {i}: expected {e:R}, got {actual[i]:R}");
        }
    }
}
