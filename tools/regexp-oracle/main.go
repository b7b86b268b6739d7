// Command regexp-oracle compiles Go regular expressions for core/tests/regex_errors.rs:
// one JSON string (a pattern) per input line, one JSON string per output line, either
// "ok" or the error text regexp.Compile returns.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var pattern string
		if err := json.Unmarshal(in.Bytes(), &pattern); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		result := "ok"
		if _, err := regexp.Compile(pattern); err != nil {
			result = err.Error()
		}
		line, _ := json.Marshal(result)
		out.Write(append(line, '\n'))
	}
}
