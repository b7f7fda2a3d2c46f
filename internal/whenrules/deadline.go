// Carried from github.com/olebedev/when v1.1.0, rules/en/deadline.go
// (Copyright 2016 Oleg Lebedev, Apache License 2.0, see LICENSE); what
// changed is in doc.go.

package whenrules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/olebedev/when/rules"
)

func Deadline(s rules.Strategy) rules.Rule {
	integer := integerWords()
	overwrite := s == rules.Override

	return &rules.F{
		RegExp: regexp.MustCompile(
			"(?i)(?:\\W|^)(within|in)\\s*" +
				"(" + integerWordsPattern + "|[0-9]+|an?(?:\\s*few)?|half(?:\\s*an?)?)\\s*" +
				"(seconds?|min(?:ute)?s?|hours?|days?|weeks?|months?|years?)\\s*" +
				"(?:\\W|$)"),
		Applier: func(m *rules.Match, c *rules.Context, o *rules.Options, ref time.Time) (bool, error) {

			numStr := strings.TrimSpace(m.Captures[1])

			var num int
			var err error

			if n, ok := integer[numStr]; ok {
				num = n
			} else if numStr == "a" || numStr == "an" {
				num = 1
			} else if strings.Contains(numStr, "few") {
				num = 3
			} else if strings.Contains(numStr, "half") {
				// pass
			} else {
				num, err = strconv.Atoi(numStr)
				if err != nil {
					return false, fmt.Errorf("convert '%s' to int: %w", numStr, err)
				}
			}

			exponent := strings.TrimSpace(m.Captures[2])

			if !strings.Contains(numStr, "half") {
				switch {
				case strings.Contains(exponent, "second"):
					if c.Duration == 0 || overwrite {
						c.Duration = time.Duration(num) * time.Second
					}
				case strings.Contains(exponent, "min"):
					if c.Duration == 0 || overwrite {
						c.Duration = time.Duration(num) * time.Minute
					}
				case strings.Contains(exponent, "hour"):
					if c.Duration == 0 || overwrite {
						c.Duration = time.Duration(num) * time.Hour
					}
				case strings.Contains(exponent, "day"):
					if c.Duration == 0 || overwrite {
						c.Duration = time.Duration(num) * 24 * time.Hour
					}
				case strings.Contains(exponent, "week"):
					if c.Duration == 0 || overwrite {
						c.Duration = time.Duration(num) * 7 * 24 * time.Hour
					}
				case strings.Contains(exponent, "month"):
					if c.Month == nil || overwrite {
						c.Month = intp((int(ref.Month()) + num) % 12)
					}
				case strings.Contains(exponent, "year"):
					if c.Year == nil || overwrite {
						c.Year = intp(ref.Year() + num)
					}
				}
			} else {
				switch {
				case strings.Contains(exponent, "hour"):
					if c.Duration == 0 || overwrite {
						c.Duration = 30 * time.Minute
					}
				case strings.Contains(exponent, "day"):
					if c.Duration == 0 || overwrite {
						c.Duration = 12 * time.Hour
					}
				case strings.Contains(exponent, "week"):
					if c.Duration == 0 || overwrite {
						c.Duration = 7 * 12 * time.Hour
					}
				case strings.Contains(exponent, "month"):
					if c.Duration == 0 || overwrite {
						// 2 weeks
						c.Duration = 14 * 24 * time.Hour
					}
				case strings.Contains(exponent, "year"):
					if c.Month == nil || overwrite {
						c.Month = intp((int(ref.Month()) + 6) % 12)
					}
				}
			}

			return true, nil
		},
	}
}
