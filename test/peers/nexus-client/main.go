// Command nexus-test-peer is the nexus Go client (gammazero/nexus v3 `client`)
// as a WAMP peer for the react-wamp interop tests. It joins one router
// (flags), then takes commands as JSON lines on stdin and answers with JSON
// lines on stdout:
//
//	{"id":1,"op":"register","procedure":"p","reply":{...},"progress":[[1]],"waitForCancelMs":0}
//	{"id":2,"op":"call","procedure":"p","args":[...],"kwargs":{...},"options":{},"progress":true,"cancelAfterMs":0,"cancelMode":"kill"}
//	{"id":3,"op":"subscribe","topic":"t"}
//	{"id":4,"op":"publish","topic":"t","args":null,"kwargs":{...},"options":{}}
//
// Answers carry the command's id; invocations, interrupts and events are
// reported as they happen. A null or absent "args" is a nil wamp.List, which
// the nexus client sends as a null Arguments beside kwargs. Integers are read
// exactly (int64, else uint64). It exits when stdin closes.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gammazero/nexus/v3/client"
	"github.com/gammazero/nexus/v3/transport/serialize"
	"github.com/gammazero/nexus/v3/wamp"
)

type payload struct {
	Args   []any          `json:"args"`
	Kwargs map[string]any `json:"kwargs"`
	Error  string         `json:"error,omitempty"`
}

type command struct {
	ID        int            `json:"id"`
	Op        string         `json:"op"`
	Procedure string         `json:"procedure"`
	Topic     string         `json:"topic"`
	Args      []any          `json:"args"`
	Kwargs    map[string]any `json:"kwargs"`
	Options   map[string]any `json:"options"`
	// register: the handler's answer (absent: echo the invocation's payload).
	Reply *payload `json:"reply"`
	// register: progressive results sent before the answer.
	Progress [][]any `json:"progress"`
	// register: wait up to this long for an INTERRUPT before answering.
	WaitForCancelMs int `json:"waitForCancelMs"`
	// call: ask for progressive results.
	WantProgress  bool   `json:"wantProgress"`
	CancelAfterMs int    `json:"cancelAfterMs"`
	CancelMode    string `json:"cancelMode"`
}

var (
	outMu sync.Mutex
	out   = json.NewEncoder(os.Stdout)
)

func emit(v map[string]any) {
	outMu.Lock()
	defer outMu.Unlock()
	if err := out.Encode(plain(v)); err != nil {
		log.Printf("cannot report %v: %v", v, err)
	}
}

// plain turns what the serializers decode into values encoding/json can write.
func plain(v any) any {
	switch x := v.(type) {
	case wamp.List:
		return plainList(x)
	case []any:
		return plainList(x)
	case wamp.Dict:
		return plainMap(x)
	case map[string]any:
		return plainMap(x)
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, item := range x {
			m[fmt.Sprint(k)] = plain(item)
		}
		return m
	}
	return v
}

func plainList(list []any) any {
	if list == nil {
		return nil
	}
	items := make([]any, len(list))
	for i, item := range list {
		items[i] = plain(item)
	}
	return items
}

func plainMap(m map[string]any) any {
	if m == nil {
		return nil
	}
	items := make(map[string]any, len(m))
	for k, item := range m {
		items[k] = plain(item)
	}
	return items
}

// exact turns json.Number into int64, else uint64, else float64, all the way down.
func exact(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(string(x), 10, 64); err == nil {
			return u
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = exact(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = exact(x[k])
		}
	}
	return v
}

func list(args []any) wamp.List {
	if args == nil {
		return nil
	}
	return wamp.List(exact(args).([]any))
}

func dict(kwargs map[string]any) wamp.Dict {
	if kwargs == nil {
		return nil
	}
	return wamp.Dict(exact(kwargs).(map[string]any))
}

func register(c *client.Client, cmd command) error {
	handler := func(ctx context.Context, inv *wamp.Invocation) client.InvokeResult {
		emit(map[string]any{"invocation": cmd.Procedure, "args": inv.Arguments, "kwargs": inv.ArgumentsKw,
			"argsNull": inv.Arguments == nil, "details": inv.Details})
		for _, chunk := range cmd.Progress {
			if err := c.SendProgress(ctx, list(chunk), nil); err != nil {
				emit(map[string]any{"progressError": err.Error()})
			}
		}
		if cmd.WaitForCancelMs > 0 {
			select {
			case <-ctx.Done():
				emit(map[string]any{"interrupted": cmd.Procedure})
			case <-time.After(time.Duration(cmd.WaitForCancelMs) * time.Millisecond):
			}
		}
		if cmd.Reply == nil {
			return client.InvokeResult{Args: inv.Arguments, Kwargs: inv.ArgumentsKw}
		}
		return client.InvokeResult{Args: list(cmd.Reply.Args), Kwargs: dict(cmd.Reply.Kwargs), Err: wamp.URI(cmd.Reply.Error)}
	}
	return c.Register(cmd.Procedure, handler, dict(cmd.Options))
}

func call(c *client.Client, cmd command) map[string]any {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if cmd.CancelMode != "" {
		if err := c.SetCallCancelMode(cmd.CancelMode); err != nil {
			return map[string]any{"failure": err.Error()}
		}
	}
	if cmd.CancelAfterMs > 0 {
		time.AfterFunc(time.Duration(cmd.CancelAfterMs)*time.Millisecond, cancel)
	}
	var progress []any
	var progcb client.ProgressHandler
	if cmd.WantProgress {
		progcb = func(r *wamp.Result) { progress = append(progress, plain(r.Arguments)) }
	}
	started := time.Now()
	result, err := c.Call(ctx, cmd.Procedure, dict(cmd.Options), list(cmd.Args), dict(cmd.Kwargs), progcb)
	reply := map[string]any{"elapsedMs": time.Since(started).Milliseconds(), "progress": progress}
	var rpcErr client.RPCError
	switch {
	case err == nil:
		reply["args"], reply["kwargs"], reply["argsNull"] = result.Arguments, result.ArgumentsKw, result.Arguments == nil
	case errors.As(err, &rpcErr):
		reply["error"], reply["args"], reply["kwargs"] = rpcErr.Err.Error, rpcErr.Err.Arguments, rpcErr.Err.ArgumentsKw
	default:
		reply["failure"] = err.Error()
	}
	return reply
}

func handle(c *client.Client, cmd command) {
	reply := map[string]any{}
	var err error
	switch cmd.Op {
	case "register":
		err = register(c, cmd)
	case "call":
		reply = call(c, cmd)
	case "subscribe":
		err = c.Subscribe(cmd.Topic, func(e *wamp.Event) {
			emit(map[string]any{"event": cmd.Topic, "args": e.Arguments, "kwargs": e.ArgumentsKw,
				"argsNull": e.Arguments == nil, "publication": e.Publication})
		}, dict(cmd.Options))
	case "publish":
		err = c.Publish(cmd.Topic, dict(cmd.Options), list(cmd.Args), dict(cmd.Kwargs))
	default:
		err = fmt.Errorf("unknown op %q", cmd.Op)
	}
	if err != nil {
		reply["failure"] = err.Error()
	}
	reply["id"] = cmd.ID
	emit(reply)
}

func main() {
	url := flag.String("url", "", "router URL (ws://, tcp://)")
	realm := flag.String("realm", "realm1", "realm")
	serialization := flag.String("serialization", "json", "json, msgpack or cbor")
	responseTimeout := flag.Duration("response-timeout", time.Second, "the client's ResponseTimeout")
	flag.Parse()
	log.SetOutput(os.Stderr)

	cfg := client.Config{Realm: *realm, ResponseTimeout: *responseTimeout, Logger: log.New(os.Stderr, "", 0)}
	switch *serialization {
	case "json":
		cfg.Serialization = serialize.JSON
	case "msgpack":
		cfg.Serialization = serialize.MSGPACK
	case "cbor":
		cfg.Serialization = serialize.CBOR
	default:
		log.Fatalf("unknown serialization %q", *serialization)
	}
	c, err := client.ConnectNet(context.Background(), *url, cfg)
	if err != nil {
		log.Fatalf("cannot join %s: %v", *url, err)
	}
	defer c.Close()
	emit(map[string]any{"ready": true, "session": c.ID()})

	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			decoder := json.NewDecoder(bytes.NewReader(line))
			decoder.UseNumber()
			var cmd command
			if decodeErr := decoder.Decode(&cmd); decodeErr != nil {
				emit(map[string]any{"failure": "bad command: " + decodeErr.Error()})
			} else {
				go handle(c, cmd)
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}
