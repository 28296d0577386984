using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Provisioning;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>A local host whose group pages carry at most <see cref="Budget"/> member values, so a handful of
/// small groups shows what a page of large ones does.</summary>
public sealed class SmallMemberBudgetHostFixture : ScimHostFixture
{
    public const int Budget = 5;

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton(new ListPageOptions { MaxMembersPerPage = Budget });
}
