using System.Reflection;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Access;

/// <summary>The rig of a rig-scoped request, resolved and checked by the <see cref="RightsGate"/> before the handler
/// runs: which rig, what the caller may see of it (<see cref="Visibility"/>), and what is known of it live. Handlers take
/// it as a parameter and never look rigs up or filter by site or tenant themselves.</summary>
public sealed class RigScope
{
    internal static readonly object Key = new();

    internal RigScope(RigAddress address, RigFacts facts, RigVisibility visibility, RigEntry? entry, Caller caller, DateTime now)
    {
        Address = address;
        Facts = facts;
        Visibility = visibility;
        Entry = entry;
        Caller = caller;
        Now = now;
    }

    /// <summary>Site and rig.</summary>
    public RigAddress Address { get; }

    /// <summary>What the rights depend on (pilots, truth release).</summary>
    public RigFacts Facts { get; }

    /// <summary>What the caller may see and do.</summary>
    public RigVisibility Visibility { get; }

    /// <summary>The rig's last birth and state, or null if it has not announced itself since the API started.</summary>
    public RigEntry? Entry { get; }

    /// <summary>Who is asking.</summary>
    public Caller Caller { get; }

    /// <summary>The moment the rights were evaluated at.</summary>
    public DateTime Now { get; }

    /// <summary>Minimal-API binding: the scope the gate resolved for this request.</summary>
    public static ValueTask<RigScope?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Items.TryGetValue(Key, out var scope) ? (RigScope?)scope
            : throw new InvalidOperationException($"{parameter.Name}: the endpoint is not in the rig route group, or its right is not a rig right."));
}
