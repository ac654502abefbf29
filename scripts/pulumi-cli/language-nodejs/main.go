// Command pulumi-language-nodejs is the Node.js language host the real `pulumi` CLI starts to run a
// TypeScript program, built here because Pulumi's own host cannot be: its module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no version tags and the Go
// module proxy this project can reach refuses every pseudo-version of it.
//
// A language host does little: the engine asks it to run the program, and it starts
// `node @pulumi/pulumi/cmd/run` with the engine's and monitor's addresses; everything a deployment
// decides (the plan, the diff, secrets, state) happens in the engine and in the Node.js SDK, both the
// real ones. This host passes the same arguments and environment as Pulumi's host (PULUMI_CONFIG,
// PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT, the `typescript`, `tsconfig` and `nodeargs`
// runtime options) and maps the SDK's exit codes the same way. What it leaves out: plugin discovery
// from node_modules (this package's resources need no plugin), `pulumi install`, code generation,
// policy packs and debugging.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The Node.js SDK exits with this code after it has already shown the user an actionable message;
// the engine is then told to bail without adding "non-zero exit code" noise.
const exitedAfterUserMessage = 32

var version = "dev"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "accepted for compatibility; tracing is not supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	h := &host{}
	if flag.NArg() > 0 {
		h.engineAddress = flag.Arg(0)
	}

	cancel := make(chan bool)
	if h.engineAddress != "" {
		// Stop when the engine goes away, as every plugin does.
		if err := rpcutil.Healthcheck(context.Background(), h.engineAddress, 5*time.Minute,
			func() { close(cancel) }); err != nil {
			fail(fmt.Errorf("could not start the health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("could not start the language host: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pulumi-language-nodejs:", err)
	os.Exit(1)
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version, "v")}, nil
}

// GetRequiredPackages reports none: dynamic providers are served by the pulumi-nodejs plugin, which
// the engine loads on its own, and this project's programs use no other provider.
func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, _ := exec.Command("node", "--version").Output()
	node, _ := exec.LookPath("node")
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// Run starts the program and waits for it. A failure of the program itself is an Error in the
// response (the engine shows it), not a gRPC error.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	runner, err := resolveRunner(info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := info.GetOptions().AsMap()
	nodeArgs, err := nodeArgsOption(options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := runEnvironment(req, options)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	cmd := exec.CommandContext(ctx, "node", append(nodeArgs, runArguments(req, runner, h.engineAddress)...)...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second

	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exit) && exit.ExitCode() == exitedAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exit):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
}

// resolveRunner finds the SDK's program runner the way Node.js would from the program's folder, so
// the program runs with the SDK it installed.
func resolveRunner(programDir string) (string, error) {
	cmd := exec.Command("node", "-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run'))")
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("the Pulumi SDK is not installed in %s: run npm install there", programDir)
	}
	return strings.TrimSpace(string(out)), nil
}

func runArguments(req *pulumirpc.RunRequest, runner, engineAddress string) []string {
	args := []string{runner}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// runEnvironment passes config as the SDK reads it: keys in the "<namespace>:config:<name>" form
// that every SDK version accepts, and the list of keys whose values are secret.
func runEnvironment(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))

	typescript := true
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return nil, errors.New("typescript option must be a boolean")
		}
		typescript = b
	}
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if v, ok := options["tsconfig"]; ok {
		path, isString := v.(string)
		if !isString {
			return nil, errors.New("tsconfig option must be a string")
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+path)
	}
	return env, nil
}

func nodeArgsOption(options map[string]any) ([]string, error) {
	v, ok := options["nodeargs"]
	if !ok {
		return nil, nil
	}
	s, isString := v.(string)
	if !isString {
		return nil, errors.New("nodeargs option must be a string")
	}
	return shlex.Split(s)
}
