namespace Fieldlab.Telemetry.Schema;

/// <summary>A retention policy of the Fieldlab database: its name and how long it keeps points by default.</summary>
/// <param name="Name">The policy's name (<c>autogen</c> is the database's default one).</param>
/// <param name="DefaultDuration">How long it keeps points unless configured otherwise; null for ever.</param>
/// <param name="Description">What it holds and which setting changes its duration.</param>
public sealed record RetentionPolicy(string Name, TimeSpan? DefaultDuration, string Description)
{
    /// <summary>True for the database's default policy, which queries and writes name by leaving it out.</summary>
    public bool IsDefault => Name == FieldlabSchema.DefaultRetentionPolicy.Name;
}
