using Fieldlab.Ingest.Storage;

namespace Fieldlab.Ingest.Consumption;

/// <summary>The batch being filled and when its first content arrived: a batch is handed to the writer when it is full
/// or when its oldest content has waited <see cref="IngestOptions.MaxBatchDelay"/>.</summary>
public sealed class FillingBatch(PointBatch batch, TimeProvider time)
{
    private long _startedTimestamp;

    /// <summary>The batch.</summary>
    public PointBatch Batch { get; private set; } = batch;

    /// <summary>Marks that content is about to go into the batch (starts its clock if it was empty).</summary>
    public void Touch()
    {
        if (Batch.IsEmpty) _startedTimestamp = time.GetTimestamp();
    }

    /// <summary>How long the oldest content has waited.</summary>
    public TimeSpan Age => time.GetElapsedTime(_startedTimestamp);

    /// <summary>Puts a fresh batch in place of the handed-over one.</summary>
    public void Replace(PointBatch fresh) => Batch = fresh;
}
