using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Provisioning;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Storage;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>A local host whose user pages carry at most <see cref="Budget"/> group values, so a handful of
/// users in a few groups shows what a page of users in many does; <see cref="GroupReads"/> counts its reads
/// of users' group rows.</summary>
public sealed class SmallGroupBudgetHostFixture : ScimHostFixture
{
    public const int Budget = 5;

    public MembershipRowReadCounter GroupReads { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(new ListPageOptions { MaxGroupsPerPage = Budget });
        services.AddSingleton(new StorageClientPolicy(GroupReads, HttpPipelinePosition.PerRetry));
    }
}
