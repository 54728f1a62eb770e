namespace Fieldlab.Access.Store;

/// <summary>A rig registered at a site: only registered rigs get gateway credentials and appear in the API.</summary>
public sealed class RigRecord
{
    /// <summary>Site id.</summary>
    public required string SiteId { get; set; }

    /// <summary>Rig id (topic segment).</summary>
    public required string RigId { get; set; }

    /// <summary>What the rig is, for people (the live description comes from its birth).</summary>
    public string Description { get; set; } = "";

    /// <summary>Students see the ground truth of faults staged before this moment (null: none; <see cref="DateTime.MaxValue"/>: all,
    /// live truth included). An instructor publishes the truth after a lesson in which students had to find the fault.</summary>
    public DateTime? TruthReleasedUntil { get; set; }

    /// <summary>Bumped to rotate the rig gateway's broker password.</summary>
    public int GatewayKeyGeneration { get; set; }

    /// <summary>When it was registered (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
