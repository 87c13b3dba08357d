namespace ReferralService.Links;

internal static class LinkSetup
{
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddOptions<LinkOptions>().BindConfiguration("Links").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VisitorHashes>();
        services.AddSingleton<LinkStore>();
        services.AddSingleton<LinkTargets>();
        services.AddSingleton<UserAgents>();
        services.AddSingleton<AppLinks>();
        services.AddSingleton<ClickQueue>();
        services.AddHostedService<ClickWriter>();
        return services;
    }
}
