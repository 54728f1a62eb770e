namespace Fieldlab.Api.Console;

/// <summary>Marks an endpoint as a page of the console: the <see cref="Access.RightsGate"/> answers its refusals as pages
/// (a sign-in form with 401, "not found" with 404, "not allowed" with 403) instead of problem JSON.</summary>
public sealed record ConsolePage(string Name);
