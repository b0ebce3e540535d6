using HikiConsult.LoadTest;

namespace HikiConsult.Client.Tests.Load;

/// <summary>Runtime settings for the server process alone, given on the load tool's command line.</summary>
public sealed class LoadTestOptionsTests
{
    [Fact]
    public void Server_environment_variables_accumulate_and_keep_equals_signs_in_values()
    {
        var options = LoadTestOptions.Parse([
            "--server-env", "DOTNET_GCgen0size=0x1000000",
            "--server-env", "EarlyConsultation__AnalyticsWriteDelay=00:00:10",
            "--server-env", "Example=a=b",
            "--server-env", "DOTNET_GCgen0size=0x2000000",
        ]);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["DOTNET_GCgen0size"] = "0x2000000",
                ["EarlyConsultation__AnalyticsWriteDelay"] = "00:00:10",
                ["Example"] = "a=b",
            },
            options.ServerEnvironment);
        Assert.Empty(LoadTestOptions.Parse([]).ServerEnvironment);
    }

    [Theory]
    [InlineData("NO_VALUE")]
    [InlineData("=value")]
    public void A_server_environment_variable_needs_a_name_and_an_equals_sign(string assignment)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse(["--server-env", assignment]));
        Assert.Contains("NAME=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_file_is_optional()
    {
        Assert.Equal("t.csv", LoadTestOptions.Parse(["--timeline", "t.csv"]).TimelineFile);
        Assert.Null(LoadTestOptions.Parse([]).TimelineFile);
    }
}
