namespace ReferralService.Links;

internal static class LinkSetup
{
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddOptions<LinkOptions>().BindConfiguration("Links").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VisitorHashes>();
        return services;
    }
}
