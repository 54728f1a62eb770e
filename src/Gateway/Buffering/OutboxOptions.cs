namespace Fieldlab.Gateway.Buffering;

/// <summary>Where and how big the gateway's store-and-forward buffer is.</summary>
public sealed class OutboxOptions
{
    /// <summary>Directory of the buffer (created if missing); one per gateway and rig.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Most bytes on disk; beyond it the oldest segment is dropped and its unconfirmed rows are counted as lost.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Size at which a new segment file is started.</summary>
    public long SegmentBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>How often buffered data is forced to disk with fsync. Every append reaches the operating system at once,
    /// which is what survives a killed gateway; fsync only adds protection against a power cut. Zero: fsync every append.</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);
}
