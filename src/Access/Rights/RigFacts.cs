namespace Fieldlab.Access.Rights;

/// <summary>What the rights of a rig depend on: where it is, its pilots, its truth release, the ranges whose truth a
/// dataset hides, and — for a rig of a sandbox — who may join it.</summary>
/// <param name="SiteId">The rig's site.</param>
/// <param name="RigId">The rig.</param>
/// <param name="TruthReleasedUntil">Students see truth from before this moment (null: none).</param>
/// <param name="Pilots">Every pilot that includes the rig.</param>
/// <param name="HiddenTruth">Ranges of the rig's history frozen into a dataset with hidden labels: no student sees
/// their truth, released or not (null: none).</param>
/// <param name="Sandbox">The sandbox the rig's site is, or null for a real site.</param>
public sealed record RigFacts(string SiteId, string RigId, DateTime? TruthReleasedUntil, IReadOnlyList<PilotFacts> Pilots,
    IReadOnlyList<TimeWindow>? HiddenTruth = null, SandboxFacts? Sandbox = null);

/// <summary>A pilot as the rights need it.</summary>
/// <param name="PilotId">Pilot id.</param>
/// <param name="OrganisationId">The company running it.</param>
/// <param name="Window">Its time window.</param>
/// <param name="SharedWithInstructors">Whether the company shares its data with the site's instructors.</param>
public sealed record PilotFacts(int PilotId, string OrganisationId, TimeWindow Window, bool SharedWithInstructors);

/// <summary>A sandbox site as the rights need it: its people are the host site's instructors and one class's students.</summary>
/// <param name="HostSiteId">The site that runs it.</param>
/// <param name="ClassId">The class whose students see it (null: instructors only).</param>
public sealed record SandboxFacts(string HostSiteId, int? ClassId);
