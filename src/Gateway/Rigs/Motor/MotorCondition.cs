namespace Fieldlab.Gateway.Rigs.Motor;

/// <summary>The health of the motor rig: faults write severities 0..1 here; the models read them.</summary>
public sealed class MotorCondition
{
    /// <summary>Rotor imbalance: raises the 1× vibration component.</summary>
    public double Imbalance { get; set; }

    /// <summary>Shaft misalignment: raises the 2× component, most in the axial direction.</summary>
    public double Misalignment { get; set; }

    /// <summary>Outer-race spall: impacts at BPFO, constant amplitude (the outer race does not turn).</summary>
    public double OuterRace { get; set; }

    /// <summary>Inner-race spall: impacts at BPFI, modulated at shaft speed as the spall turns through the load zone.</summary>
    public double InnerRace { get; set; }

    /// <summary>Ball spall: impacts at BSF, modulated at the cage frequency FTF.</summary>
    public double Ball { get; set; }
}
