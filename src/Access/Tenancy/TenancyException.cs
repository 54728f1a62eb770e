namespace Fieldlab.Access.Tenancy;

/// <summary>A request to change the tenancy that cannot be carried out as asked: names the field and why, and changes
/// nothing. The API answers it with 400 (or 404/409 by <see cref="Kind"/>), the CLI with its message.</summary>
public sealed class TenancyException(string field, string message, TenancyProblem kind = TenancyProblem.Invalid) : Exception(message)
{
    /// <summary>The offending field.</summary>
    public string Field { get; } = field;

    /// <summary>What kind of problem.</summary>
    public TenancyProblem Kind { get; } = kind;
}

/// <summary>Kinds of tenancy problem.</summary>
public enum TenancyProblem
{
    /// <summary>A value is not valid.</summary>
    Invalid,

    /// <summary>Something named does not exist.</summary>
    NotFound,

    /// <summary>It exists already, or conflicts with what exists.</summary>
    Conflict,
}
