using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>
/// docker-compose.yml and cluster/local.sh describe one topology: the same services, the same published ports, the
/// same shared node settings and HAProxy configuration, and every per-node setting the script gives a node.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Repository = Path.GetDirectoryName(Path.GetDirectoryName(LocalCluster.Script))!;
    private static readonly string Script = File.ReadAllText(LocalCluster.Script);
    private static readonly YamlMappingNode Services = LoadServices();

    [Fact]
    public void The_services_are_postgres_three_nodes_and_haproxy()
    {
        Assert.Equal(["haproxy", "node1", "node2", "node3", "postgres"], Services.Children.Keys.Select(k => k.ToString()).Order());
    }

    [Fact]
    public void Published_ports_are_the_scripts_default_ports()
    {
        var basePort = int.Parse(DefaultBasePort().Match(Script).Groups[1].Value);
        Assert.Equal($"{basePort}:{basePort}", Ports("haproxy").Single());
        for (var n = 1; n <= LocalCluster.NodeCount; n++)
        {
            Assert.Equal($"{basePort + n}:8080", Ports($"node{n}").Single());
        }
    }

    [Fact]
    public void Nodes_share_the_scripts_settings_file_and_get_every_setting_the_script_gives_a_node()
    {
        Assert.Contains("\"$repo/cluster/node.env\"", Script);
        var perNode = ExportedSetting().Matches(Script).Select(m => m.Groups[1].Value).Where(name => name.Contains("__")).ToHashSet();
        Assert.Contains("Storage__ConnectionString", perNode);
        for (var n = 1; n <= LocalCluster.NodeCount; n++)
        {
            var node = Service($"node{n}");
            Assert.Equal("cluster/node.env", node["env_file"].ToString());
            var environment = ((YamlMappingNode)node["environment"]).Children.Keys.Select(k => k.ToString()).ToHashSet();
            Assert.Superset(perNode, environment);
            Assert.Equal($"node{n}", ((YamlMappingNode)node["environment"])["Orleans__AdvertisedAddress"].ToString());
        }
    }

    [Fact]
    public void HAProxy_runs_the_scripts_configuration_with_the_same_variables()
    {
        Assert.Contains("-f \"$repo/cluster/haproxy.cfg\"", Script);
        var haproxy = Service("haproxy");
        Assert.Contains("./cluster/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro", ((YamlSequenceNode)haproxy["volumes"]).Select(v => v.ToString()));
        var variables = ((YamlMappingNode)haproxy["environment"]).Children.Keys.Select(k => k.ToString()).ToHashSet();
        var used = ConfigVariable().Matches(File.ReadAllText(Path.Combine(Repository, "cluster", "haproxy.cfg"))).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(used, variables);
        Assert.All(used, name => Assert.Contains(name + "=", Script));
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static IEnumerable<string> Ports(string service) => ((YamlSequenceNode)Service(service)["ports"]).Select(p => p.ToString());

    private static YamlMappingNode LoadServices()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Repository, "docker-compose.yml")));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    [GeneratedRegex(@"CLUSTER_BASE_PORT:-(\d+)")]
    private static partial Regex DefaultBasePort();

    [GeneratedRegex(@"export ([A-Za-z_]+)")]
    private static partial Regex ExportedSetting();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex ConfigVariable();
}
