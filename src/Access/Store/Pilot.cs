namespace Fieldlab.Access.Store;

/// <summary>A company's pilot use case: a set of rigs during a time window. Inside the window the rigs' data belongs to
/// the company; outside every pilot window a rig's data is teaching data.</summary>
public sealed class Pilot
{
    /// <summary>Pilot id.</summary>
    public int Id { get; set; }

    /// <summary>Name people read.</summary>
    public string Name { get; set; } = "";

    /// <summary>The organisation running it.</summary>
    public required string OrganisationId { get; set; }

    /// <summary>Start of the window (UTC, inclusive).</summary>
    public DateTime Start { get; set; }

    /// <summary>End of the window (UTC, exclusive), or null while open-ended.</summary>
    public DateTime? End { get; set; }

    /// <summary>The company shares the pilot's data with the site's instructors.</summary>
    public bool SharedWithInstructors { get; set; }

    /// <summary>The rigs of the pilot.</summary>
    public List<PilotRig> Rigs { get; set; } = [];

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>One rig of a pilot.</summary>
public sealed class PilotRig
{
    /// <summary>The pilot.</summary>
    public int PilotId { get; set; }

    /// <summary>Site id of the rig.</summary>
    public required string SiteId { get; set; }

    /// <summary>Rig id.</summary>
    public required string RigId { get; set; }
}
