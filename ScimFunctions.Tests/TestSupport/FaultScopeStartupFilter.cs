using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>Runs every HTTP request of a local host inside a <see cref="StorageFaultPolicy.BeginScope"/>, so the
/// policy can tell a request's storage calls from the host's background work.</summary>
public sealed class FaultScopeStartupFilter(StorageFaultPolicy policy) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, handler) =>
        {
            using (policy.BeginScope()) await handler(context);
        });
        next(app);
    };
}
