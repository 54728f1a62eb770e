namespace Fieldlab.Access.Rights;

/// <summary>A (resource, action) pair of the rights table, e.g. <c>rig</c> / <c>data</c>.</summary>
public readonly record struct Right(string Resource, string Action)
{
    /// <inheritdoc />
    public override string ToString() => $"{Resource}/{Action}";
}
