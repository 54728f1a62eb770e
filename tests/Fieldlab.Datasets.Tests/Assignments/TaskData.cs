using System.Text;
using Fieldlab.Datasets.Assignments;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Tests.Assignments;

/// <summary>A small dataset for scoring: rigs r1 and r2 at 10 Hz for 600 s (two streams on r1, one on r2); r1 has a
/// staged cavitation [100 s, 200 s), a maintenance action at 400 s and a hand-made "normal" [450 s, 460 s); r2 a
/// hand-made dry_run [300 s, 360 s) and a second cavitation from 500 s, still open at the end.</summary>
internal sealed class TaskData : IDisposable
{
    public const long S = 1_000_000_000L;
    public static readonly long From = UtcTimestamp.ToNanoseconds(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    public static readonly long To = From + 600 * S;
    public static readonly string[] Rigs = ["r1", "r2"];

    public static readonly LabelRow[] Labels =
    [
        new(From + 100 * S, From + 200 * S, "r1", "truth", "cavitation", 0.4, null),
        new(From + 400 * S, null, "r1", "maintenance", "impeller replaced", null, "impeller"),
        new(From + 450 * S, From + 460 * S, "r1", "instructor", "normal", null, null),
        new(From + 300 * S, From + 360 * S, "r2", "instructor", "dry_run", null, null),
        new(From + 500 * S, null, "r2", "truth", "cavitation", 0.2, null),
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fl-assign-" + Guid.NewGuid().ToString("N"));

    public TaskData()
    {
        Directory.CreateDirectory(_folder);
        var text = new StringBuilder("time,rig,stream,flow\n");
        for (long t = From; t < To; t += S / 10)
        {
            text.Append(UtcTimestamp.Format(t)).Append(",r1,process,1\n");
            text.Append(UtcTimestamp.Format(t)).Append(",r1,vibration,\n");
            text.Append(UtcTimestamp.Format(t)).Append(",r2,process,2\n");
        }
        File.WriteAllText(SamplesPath, text.ToString());
    }

    public string SamplesPath => Path.Combine(_folder, "samples.csv");

    public static TaskSpec Spec(TaskKind kind, double windowSeconds = 10, string? failure = "cavitation") =>
        new(kind, Rigs, From, To, (long)(windowSeconds * S), failure);

    public Task<AnswerKey> KeyAsync(TaskKind kind, double windowSeconds = 10) =>
        AnswerKey.BuildAsync(Spec(kind, windowSeconds), SamplesPath, Labels, CancellationToken.None);

    /// <summary>A prediction file: header, then one line per key with <paramref name="value"/> of its truth.</summary>
    public static string File_(AnswerKey key, Func<GridKey, Answer, string> value)
    {
        var text = new StringBuilder(string.Join(',', TaskKinds.Columns(key.Task.Kind))).Append('\n');
        foreach (var (k, truth) in key.Truth.OrderBy(kv => kv.Key.Rig, StringComparer.Ordinal).ThenBy(kv => kv.Key.TimeNs))
            text.Append(k.Rig).Append(',').Append(UtcTimestamp.Format(k.TimeNs)).Append(',').Append(value(k, truth)).Append('\n');
        return text.ToString();
    }

    public static string Perfect(AnswerKey key) => File_(key, (_, t) => key.Task.Kind switch
    {
        TaskKind.Detection => t.Value == 1 ? "1" : "0",
        TaskKind.Classification => t.Class!,
        _ => t.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    });

    public static Task<PredictionFile> ReadAsync(AnswerKey key, string text) => PredictionReader.ReadAsync(new StringReader(text), key, CancellationToken.None);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
