namespace Fieldlab.Telemetry.Wire;

/// <summary>Identifies one rig: the site (fieldlab location or tenant) and the rig id within it.</summary>
public readonly record struct RigAddress
{
    /// <summary>Creates an address; both parts must satisfy <see cref="WireNames.ExplainInvalidSegment"/>.</summary>
    public RigAddress(string site, string rig)
    {
        if (WireNames.ExplainInvalidSegment(site) is { } s) throw new ArgumentException($"Invalid site id: {s}.", nameof(site));
        if (WireNames.ExplainInvalidSegment(rig) is { } r) throw new ArgumentException($"Invalid rig id: {r}.", nameof(rig));
        Site = site;
        Rig = rig;
    }

    /// <summary>Site id.</summary>
    public string Site { get; }

    /// <summary>Rig id, unique within its site.</summary>
    public string Rig { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Site}/{Rig}";
}
