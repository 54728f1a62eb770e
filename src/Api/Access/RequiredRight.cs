using Fieldlab.Access.Rights;

namespace Fieldlab.Api.Access;

/// <summary>Endpoint metadata: the right of the rights table (docs/access.md) an endpoint needs. Every endpoint carries
/// one; the <see cref="RightsGate"/> refuses to serve an endpoint without it.</summary>
public sealed record RequiredRight(Right Right);

/// <summary>Declares the right an endpoint (or a route group) needs.</summary>
public static class RequiredRightExtensions
{
    /// <summary>The endpoint needs <paramref name="resource"/>/<paramref name="action"/>; throws at start if the rights
    /// table has no such row.</summary>
    public static TBuilder RequireRight<TBuilder>(this TBuilder builder, string resource, string action) where TBuilder : IEndpointConventionBuilder
    {
        var right = new Right(resource, action);
        if (!RightsTable.Current.Contains(right)) throw new InvalidOperationException($"The rights table in docs/access.md has no row for {right}.");
        builder.WithMetadata(new RequiredRight(right));
        return builder;
    }

    /// <summary>The endpoint needs the rig right <paramref name="right"/>.</summary>
    public static TBuilder RequireRight<TBuilder>(this TBuilder builder, Right right) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRight(right.Resource, right.Action);
}
