using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace ReferralService.Tests.Support;

/// <summary>
/// Starts an instance of the service that is expected to refuse its settings, and answers why it did not start.
/// The reason is read from what the host logs ("Hosting failed to start"), not only from the exception the test host
/// throws: when a minimal-API host fails to start, WebApplicationFactory sometimes surfaces an ObjectDisposedException
/// from tearing it down in place of the start-up error (seen twice in about ten full test runs).
/// </summary>
internal static class StartupFailure
{
    public static string Of(params (string Key, string Value)[] settings)
    {
        var log = new ErrorLog();
        var service = Api.ServiceWith(settings).WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(log)));
        string thrown;
        try
        {
            using var client = service.CreateClient();
            thrown = "";
        }
        catch (Exception ex)
        {
            thrown = ex.ToString();
        }
        finally
        {
            DisposeFailed(service);
        }
        Assert.That(thrown, Is.Not.Empty, "The service started.");
        return string.Join(Environment.NewLine, log.Errors) + Environment.NewLine + thrown;
    }

    // Tearing down a host that never started can throw again (the same error, or a disposed provider): the test has
    // its answer already, and nothing of this instance is left running.
    private static void DisposeFailed(WebApplicationFactory<Program> service)
    {
        try
        {
            service.Dispose();
        }
        catch (Exception ex) when (ex is AggregateException or ObjectDisposedException or InvalidOperationException
            or Microsoft.Extensions.Options.OptionsValidationException)
        {
            TestContext.Out.WriteLine($"Disposing the failed instance: {ex.GetType().Name}");
        }
    }

    private sealed class ErrorLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(ErrorLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    log.Errors.Enqueue($"{formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
