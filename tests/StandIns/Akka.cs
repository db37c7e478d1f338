// Stand-in, so the tests and the sample need no package: the Akka.NET types the Clustering tests use, with their
// real namespaces, names and signatures (bodies are placeholders): HOCON parsing and actor system creation.
namespace Akka.Configuration
{
    public class Config
    {
        public Config WithFallback(Config fallback) => this;
    }

    public static class ConfigurationFactory
    {
        public static Config Empty => new Config();

        public static Config ParseString(string hocon) => new Config();
    }
}

namespace Akka.Actor
{
    public abstract class ActorSystem : System.IDisposable
    {
        public static ActorSystem Create(string name, Akka.Configuration.Config config) => null!;

        public void Dispose() { }
    }
}
