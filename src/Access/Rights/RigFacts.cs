namespace Fieldlab.Access.Rights;

/// <summary>What the rights of a rig depend on: where it is, its pilots and its truth release.</summary>
/// <param name="SiteId">The rig's site.</param>
/// <param name="RigId">The rig.</param>
/// <param name="TruthReleasedUntil">Students see truth from before this moment (null: none).</param>
/// <param name="Pilots">Every pilot that includes the rig.</param>
public sealed record RigFacts(string SiteId, string RigId, DateTime? TruthReleasedUntil, IReadOnlyList<PilotFacts> Pilots);

/// <summary>A pilot as the rights need it.</summary>
/// <param name="PilotId">Pilot id.</param>
/// <param name="OrganisationId">The company running it.</param>
/// <param name="Window">Its time window.</param>
/// <param name="SharedWithInstructors">Whether the company shares its data with the site's instructors.</param>
public sealed record PilotFacts(int PilotId, string OrganisationId, TimeWindow Window, bool SharedWithInstructors);
