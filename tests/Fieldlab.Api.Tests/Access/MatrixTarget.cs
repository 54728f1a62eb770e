namespace Fieldlab.Api.Tests.Access;

/// <summary>What a cell of the matrix is aimed at: a rig, a site, a pilot, or nothing in particular.</summary>
public abstract record MatrixTarget;

/// <summary>A rig at a site (possibly one that does not exist).</summary>
public sealed record RigTarget(string Site, string Name) : MatrixTarget
{
    /// <inheritdoc />
    public override string ToString() => $"{Site}/{Name}";
}

/// <summary>A site (possibly one that does not exist).</summary>
public sealed record SiteTarget(string Name) : MatrixTarget
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A pilot of the tenancy by its key (A, B, S), or a key that names none.</summary>
public sealed record PilotTarget(string Key) : MatrixTarget
{
    /// <inheritdoc />
    public override string ToString() => $"pilot {Key}";
}

/// <summary>No particular target.</summary>
public sealed record NoTarget : MatrixTarget
{
    /// <inheritdoc />
    public override string ToString() => "-";
}
