namespace Fieldlab.PredictiveMaintenance.Bearings;

/// <summary>The geometry of a rolling-element bearing, from which its characteristic defect frequencies follow.</summary>
/// <param name="Balls">Number of rolling elements.</param>
/// <param name="BallDiameterMm">Rolling-element diameter d.</param>
/// <param name="PitchDiameterMm">Pitch diameter D.</param>
/// <param name="ContactAngleDeg">Contact angle φ (0 for deep-groove ball bearings under radial load).</param>
public sealed record BearingGeometry(int Balls, double BallDiameterMm, double PitchDiameterMm, double ContactAngleDeg = 0)
{
    /// <summary>SKF 6205-2RS JEM, the drive-end bearing of the CWRU test rig (9 balls, d = 7.94 mm, D = 39.04 mm).</summary>
    public static BearingGeometry Skf6205 { get; } = new(9, 7.94, 39.04);

    /// <summary>The defect frequencies at a shaft speed (inner ring turning, outer ring fixed).</summary>
    /// <remarks>Randall &amp; Antoni, "Rolling element bearing diagnostics — a tutorial", MSSP 25 (2011), eq. (1)–(4):
    /// FTF = fr/2·(1 − d/D·cosφ); BPFO = n·fr/2·(1 − d/D·cosφ); BPFI = n·fr/2·(1 + d/D·cosφ);
    /// BSF = D/d·fr·(1 − (d/D·cosφ)²). Randall's ball spin frequency is half that; a spall on a ball strikes the inner and
    /// the outer race once per spin, so the fault repeats at twice the spin rate. CWRU's bearing tables (4.7135 × shaft
    /// speed for the 6205) and ../shared/bench/features-ref use this doubled value, and so does Fieldlab.</remarks>
    public DefectFrequencies At(double shaftHz)
    {
        double ratio = BallDiameterMm / PitchDiameterMm * Math.Cos(ContactAngleDeg * Math.PI / 180);
        return new DefectFrequencies(
            Bpfo: Balls * shaftHz / 2 * (1 - ratio),
            Bpfi: Balls * shaftHz / 2 * (1 + ratio),
            Bsf: PitchDiameterMm / BallDiameterMm * shaftHz * (1 - ratio * ratio),
            Ftf: shaftHz / 2 * (1 - ratio));
    }
}

/// <summary>Characteristic bearing defect frequencies in hertz.</summary>
/// <param name="Bpfo">Ball pass frequency, outer race.</param>
/// <param name="Bpfi">Ball pass frequency, inner race.</param>
/// <param name="Bsf">Ball defect frequency (twice the ball spin rate; see <see cref="BearingGeometry.At"/>).</param>
/// <param name="Ftf">Fundamental train (cage) frequency.</param>
public readonly record struct DefectFrequencies(double Bpfo, double Bpfi, double Bsf, double Ftf);
