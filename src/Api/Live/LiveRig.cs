using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Live;

/// <summary>What the API last heard from one rig on the broker: the newest value of each sensor and the newest
/// vibration frame. A version number grows with every change so each viewer sends only what changed since its last update.</summary>
public sealed class LiveRig(RigAddress address)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LiveValue> _values = new(StringComparer.Ordinal);
    private WaveformFrame? _frame;
    private long _version, _frameVersion;

    /// <summary>The rig.</summary>
    public RigAddress Address => address;

    /// <summary>Grows with every sample row taken.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Grows with every vibration frame taken.</summary>
    public long FrameVersion => Interlocked.Read(ref _frameVersion);

    /// <summary>Takes a sensor's value if it is newer than the one held (a late backlog row never replaces a newer one).</summary>
    public void Take(string sensor, long timeNs, double value)
    {
        lock (_gate)
        {
            if (_values.TryGetValue(sensor, out var held) && held.TimeNs > timeNs) return;
            _values[sensor] = new LiveValue(timeNs, value);
            _version++;
        }
    }

    /// <summary>Takes the newest vibration frame.</summary>
    public void Take(WaveformFrame frame)
    {
        lock (_gate)
        {
            if (_frame is { } held && held.StartNanoseconds > frame.StartNanoseconds) return;
            _frame = frame;
            _frameVersion++;
        }
    }

    /// <summary>A copy of the newest values.</summary>
    public Dictionary<string, LiveValue> Values()
    {
        lock (_gate) return new Dictionary<string, LiveValue>(_values, StringComparer.Ordinal);
    }

    /// <summary>The newest frame, or null.</summary>
    public WaveformFrame? Frame
    {
        get { lock (_gate) return _frame; }
    }
}

/// <summary>A sensor's newest value and its sample time (ns since the Unix epoch, UTC).</summary>
public readonly record struct LiveValue(long TimeNs, double Value);
