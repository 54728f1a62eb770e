using Fieldlab.Gateway.Simulation;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Rigs.Motor;

/// <summary>Acceleration at the drive-end bearing housing, in 1–3 axes, sample by sample.</summary>
/// <remarks>
/// Components, each with its own gain per axis (x horizontal, y vertical, z axial):
/// running speed 1× (residual plus imbalance, which grows with speed²), 2× (misalignment, strongest axially),
/// twice line frequency (magnetic), broadband noise, and bearing defects as the model of McFadden &amp; Smith
/// (J. Sound Vib. 96 (1984)) that Randall &amp; Antoni's tutorial (MSSP 25 (2011), §2) describes: one impact per passage
/// at the defect frequency, each ringing a structural resonance with exponential decay, with a little random jitter of the
/// impact times (rolling elements slip), and amplitude modulation: none for an outer-race spall (it stays in the load
/// zone), at shaft speed for an inner-race spall, at the cage frequency for a ball spall.
/// </remarks>
public sealed class MotorVibration : SimulatedWaveform
{
    private const double ResonanceHz = 3500;
    private const double RingDecayS = 0.0006;

    private static readonly string[] AxisIds = ["accel_x", "accel_y", "accel_z"];
    private static readonly (double Run, double Mis, double Mag, double Bearing)[] AxisGains =
        [(1.0, 0.6, 1.0, 1.0), (0.8, 0.5, 0.7, 0.8), (0.3, 1.2, 0.2, 0.5)];

    private readonly Func<double> _shaftHz;
    private readonly MotorCondition _condition;
    private readonly BearingGeometry _bearing;
    private readonly double _lineHz;
    private readonly Gaussian _noise;
    private readonly SensorSpec[] _axes;
    private readonly double _rate;
    private readonly Impacts[] _defects = [new(), new(), new()];
    private double _shaftPhase;
    private double _cagePhase;
    private long _n;

    /// <summary>Creates the generator for <paramref name="axes"/> axes at <paramref name="rateHz"/>.</summary>
    public MotorVibration(Func<double> shaftHz, MotorCondition condition, BearingGeometry bearing, double lineHz, int axes, double rateHz, int seed)
    {
        if (axes is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(axes), "1 to 3 axes.");
        if (rateHz < 2.5 * ResonanceHz) throw new ArgumentOutOfRangeException(nameof(rateHz), $"At least {2.5 * ResonanceHz} Hz, to sample the {ResonanceHz} Hz bearing resonance.");
        _shaftHz = shaftHz;
        _condition = condition;
        _bearing = bearing;
        _lineHz = lineHz;
        _rate = rateHz;
        _noise = new Gaussian(seed);
        _axes = [.. AxisIds.Take(axes).Select((id, i) => new SensorSpec
        {
            Id = id,
            Unit = "m/s2",
            Min = -500,
            Max = 500,
            Description = i switch { 0 => "Acceleration, drive-end bearing, horizontal", 1 => "Acceleration, drive-end bearing, vertical", _ => "Acceleration, drive-end bearing, axial" },
        })];
    }

    /// <inheritdoc />
    public override string Id => "vibration";

    /// <inheritdoc />
    public override double RateHz => _rate;

    /// <inheritdoc />
    public override IReadOnlyList<SensorSpec> Axes => _axes;

    /// <inheritdoc />
    public override string Unit => "m/s2";

    /// <summary>1× amplitude (m/s², horizontal axis) for a given imbalance severity at a shaft speed: the residual 0.05
    /// plus 0.8 × severity at 25 Hz, growing with speed² (centrifugal force).</summary>
    public static double OneTimesAmplitude(double imbalance, double shaftHz) => (0.05 + 0.8 * imbalance) * Math.Pow(shaftHz / 25.0, 2);

    /// <inheritdoc />
    public override void Generate(Span<float> samples, int count)
    {
        int axes = _axes.Length;
        double dt = 1.0 / _rate;
        for (int i = 0; i < count; i++)
        {
            double t = _n * dt;
            double fr = _shaftHz();
            var f = _bearing.At(fr);
            _shaftPhase += 2 * Math.PI * fr * dt;
            _cagePhase += 2 * Math.PI * f.Ftf * dt;

            double oneX = OneTimesAmplitude(_condition.Imbalance, fr) * Math.Sin(_shaftPhase);
            double twoX = (0.03 + 0.6 * _condition.Misalignment) * Math.Pow(fr / 25.0, 2) * Math.Sin(2 * _shaftPhase + 0.4);
            double magnetic = 0.04 * Math.Sin(2 * Math.PI * 2 * _lineHz * t);
            double bearing =
                _defects[0].Next(t, f.Bpfo, 3.0 * _condition.OuterRace, 1.0, _noise)
                + _defects[1].Next(t, f.Bpfi, 3.0 * _condition.InnerRace, 1 + 0.8 * Math.Cos(_shaftPhase), _noise)
                + _defects[2].Next(t, f.Bsf, 2.5 * _condition.Ball, 1 + 0.8 * Math.Cos(_cagePhase), _noise);
            for (int a = 0; a < axes; a++)
            {
                var g = AxisGains[a];
                double value = g.Run * oneX + g.Mis * twoX + g.Mag * magnetic + g.Bearing * bearing + 0.05 * _noise.Next();
                samples[a * count + i] = (float)value;
            }
            _n++;
        }
    }

    /// <summary>The impact train of one defect: ringing bursts started at the defect frequency, with jitter.</summary>
    private sealed class Impacts
    {
        private double _next = double.NaN;
        private double _lastImpact = double.NegativeInfinity;
        private double _amplitude;

        public double Next(double t, double frequency, double severityAmplitude, double modulation, Gaussian noise)
        {
            if (severityAmplitude <= 0 || frequency <= 0)
            {
                _next = double.NaN;
                return Ring(t);
            }
            if (double.IsNaN(_next)) _next = t + 1 / frequency;
            if (t >= _next)
            {
                _lastImpact = _next;
                _amplitude = severityAmplitude * modulation;
                // 1 % random spacing: rolling elements slip a little, which is what makes bearing signals cyclostationary.
                _next += (1 + 0.01 * noise.Next()) / frequency;
            }
            return Ring(t);
        }

        private double Ring(double t)
        {
            double age = t - _lastImpact;
            if (age > 10 * RingDecayS) return 0;
            return _amplitude * Math.Exp(-age / RingDecayS) * Math.Sin(2 * Math.PI * ResonanceHz * age);
        }
    }
}
