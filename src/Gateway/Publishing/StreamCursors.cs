using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Publishing;

/// <summary>Where a scalar stream stands on its sample grid; produces the rows due up to a time.</summary>
internal sealed class ScalarCursor
{
    // After a long stall (a suspended machine), do not invent more than this much history at once.
    private static readonly long MaxCatchUpNs = TimeSpan.FromSeconds(60).Ticks * 100;

    private readonly SimulatedStream _stream;
    private readonly long _periodNs;
    private readonly string[] _sensors;
    private readonly double[] _row;

    public ScalarCursor(SimulatedStream stream, DateTimeOffset start)
    {
        _stream = stream;
        _periodNs = (long)Math.Round(1e9 / stream.RateHz);
        _sensors = [.. stream.Sensors.Select(s => s.Id)];
        _row = new double[_sensors.Length];
        long startNs = UtcTimestamp.ToNanoseconds(start);
        NextNs = startNs - startNs % _periodNs + _periodNs;
    }

    public long NextNs { get; private set; }

    public void Produce(OutboxWriter writer, long nowNs)
    {
        if (nowNs - NextNs > MaxCatchUpNs) NextNs += (nowNs - NextNs - MaxCatchUpNs) / _periodNs * _periodNs;
        if (NextNs > nowNs) return;
        int rows = (int)((nowNs - NextNs) / _periodNs) + 1;
        var times = new long[rows];
        var values = new double[rows * _sensors.Length];
        for (int r = 0; r < rows; r++)
        {
            _stream.Sample(NextNs, _row);
            times[r] = NextNs;
            _row.CopyTo(values, r * _sensors.Length);
            NextNs += _periodNs;
        }
        writer.AppendRows(_stream.Id, _sensors, times, values);
    }
}

/// <summary>Where a waveform stream stands; produces the whole frames due up to a time.</summary>
internal sealed class WaveformCursor
{
    private static readonly long MaxCatchUpNs = TimeSpan.FromSeconds(5).Ticks * 100;

    private readonly SimulatedWaveform _wave;
    private readonly int _frame;
    private readonly string[] _axes;
    private readonly long _startNs;
    private long _produced;

    public WaveformCursor(SimulatedWaveform wave, DateTimeOffset start, int frame)
    {
        _wave = wave;
        _frame = frame;
        _axes = [.. wave.Axes.Select(a => a.Id)];
        _startNs = UtcTimestamp.ToNanoseconds(start);
    }

    private long TimeOf(long sample) => _startNs + (long)Math.Round(sample * 1e9 / _wave.RateHz);

    public void Produce(OutboxWriter writer, long nowNs)
    {
        long behind = nowNs - TimeOf(_produced);
        if (behind > MaxCatchUpNs) _produced += (long)((behind - MaxCatchUpNs) / 1e9 * _wave.RateHz) / _frame * _frame;
        while (TimeOf(_produced + _frame) <= nowNs)
        {
            var samples = new float[_frame * _axes.Length];
            _wave.Generate(samples, _frame);
            writer.AppendWaveform(_wave.Id, TimeOf(_produced), _wave.RateHz, _axes, _wave.Unit, samples);
            _produced += _frame;
        }
    }
}
