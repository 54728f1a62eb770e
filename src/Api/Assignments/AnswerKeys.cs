using System.Collections.Concurrent;
using Fieldlab.Access.Store;
using Fieldlab.Api.Datasets;
using Fieldlab.Datasets;
using Fieldlab.Datasets.Assignments;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Assignments;

/// <summary>The answer key of an assignment, built from its frozen dataset version's samples and hidden labels and kept
/// for the next submission (a version never changes, so neither does its key). Holds a few keys at most.</summary>
public sealed class AnswerKeys(IOptions<DatasetOptions> options)
{
    private const int Kept = 8;
    private readonly ConcurrentDictionary<int, Lazy<Task<AnswerKey>>> _keys = new();

    /// <summary>The task of an assignment on its dataset version.</summary>
    public static TaskSpec SpecOf(Assignment assignment, DatasetRecord dataset) => new(
        TaskKinds.Parse(assignment.Task) ?? throw new InvalidOperationException($"assignment {assignment.Id} has an unknown task '{assignment.Task}'"),
        dataset.Rigs.Split(','), Ns(dataset.From), Ns(dataset.To), (long)Math.Round(assignment.WindowSeconds * 1e9), assignment.FailureLabel);

    /// <summary>The key of a stored assignment.</summary>
    public async Task<AnswerKey> GetAsync(Assignment assignment, DatasetRecord dataset, CancellationToken ct)
    {
        if (_keys.Count >= Kept) _keys.Clear();
        var lazy = _keys.GetOrAdd(assignment.Id, _ => new Lazy<Task<AnswerKey>>(() => BuildAsync(SpecOf(assignment, dataset), dataset, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _keys.TryRemove(assignment.Id, out _); // a failed build is tried again next time, not kept
            throw;
        }
    }

    /// <summary>Builds a key afresh (for an assignment being made).</summary>
    public async Task<AnswerKey> BuildAsync(TaskSpec task, DatasetRecord dataset, CancellationToken ct)
    {
        var folder = new DatasetDirectory(options.Value.Directory).PathOf(dataset.Id, dataset.Version);
        var labels = await LabelsFile.ReadAsync(DatasetsApi.LabelsPath(options.Value, dataset), ct);
        return await AnswerKey.BuildAsync(task, Path.Combine(folder, "samples.csv"), labels, ct);
    }

    private static long Ns(DateTime utc) => UtcTimestamp.ToNanoseconds(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
}
