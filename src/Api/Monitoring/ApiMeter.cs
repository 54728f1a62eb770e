using System.Diagnostics.Metrics;
using Fieldlab.Api.Live;

namespace Fieldlab.Api.Monitoring;

/// <summary>The API's one <see cref="System.Diagnostics.Metrics.Meter"/>, <c>Fieldlab.Api</c>: the live viewers. Request
/// rate and latency per route come from ASP.NET Core's own <c>Microsoft.AspNetCore.Hosting</c> meter
/// (<c>http.server.request.duration</c>, labelled with route template, method and status code), exported beside it.</summary>
public sealed class ApiMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Fieldlab.Api";

    /// <summary>ASP.NET Core's request meter, exported with ours.</summary>
    public const string HostingMeter = "Microsoft.AspNetCore.Hosting";

    /// <summary>Creates the instruments over the live feed.</summary>
    public ApiMeter(IMeterFactory factory, LiveFeed feed)
    {
        var m = factory.Create(Name);
        m.CreateObservableGauge("fieldlab.api.live.viewers", () => feed.ViewerCount, "{viewer}", "Connected live streams (console pages watching rigs).");
        m.CreateObservableCounter("fieldlab.api.live.messages", () => feed.Messages, "{message}", "Broker messages the live feed has taken in.");
    }
}
