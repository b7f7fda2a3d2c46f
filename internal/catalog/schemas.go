package catalog

import "github.com/clickup-mcp/clickup-mcp/internal/toolkit"

// The tools' schemas, written out (the framework serves given schemas and
// reflects none at start); they follow FindArgs, DescribeArgs and CallArgs.
var (
	findSchemas = toolkit.Schemas{
		Input:  `{"properties":{"query":{"type":"string","description":"what to do in a few words"},"limit":{"type":"integer","description":"at most this many (default 8)"}},"additionalProperties":false,"type":"object","required":["query"]}`,
		Output: `{"properties":{"operations":{"items":{"properties":{"id":{"type":"string"},"what":{"type":"string"},"kind":{"type":"string"},"prefer":{"type":"string"}},"type":"object","required":["id","what","kind"]},"type":"array"}},"type":"object","required":["operations"]}`,
	}
	describeSchemas = toolkit.Schemas{
		Input:  `{"properties":{"operation":{"type":"string","description":"an id from clickup_find_operations"}},"additionalProperties":false,"type":"object","required":["operation"]}`,
		Output: `{"properties":{"operation":{"type":"object"}},"type":"object","required":["operation"]}`,
	}
	callSchemas = toolkit.Schemas{
		Input:  `{"properties":{"operation":{"type":"string","description":"an id from clickup_find_operations"},"args":{"type":"object","description":"parameters by name, the JSON body under body (see clickup_describe_operation)"}},"additionalProperties":false,"type":"object","required":["operation"]}`,
		Output: `{"properties":{"operation":{"type":"string"},"result":{},"truncated":{"type":"string"}},"type":"object","required":["operation"]}`,
	}
)
