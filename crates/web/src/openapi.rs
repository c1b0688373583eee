//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`.

use axum::Json;
use serde_json::{json, Value};

fn error_ref() -> Value {
    json!({"description": "错误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn get_op(summary: &str, params: Value, schema: Value) -> Value {
    json!({"get": {
        "summary": summary,
        "parameters": params,
        "responses": {
            "200": {"description": "成功", "content": {"application/json": {"schema": schema}}},
            "401": error_ref(), "403": error_ref(), "404": error_ref(), "422": error_ref()
        }
    }})
}

fn path_param(name: &str, kind: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": kind}})
}

/// Build the document.
pub fn spec() -> Value {
    let any_obj = json!({"type": "object"});
    let list = json!({"type": "array", "items": {"type": "object"}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/issues".into(),
        get_op("已导入的公报", json!([]), list.clone()),
    );
    paths.insert(
        "/api/v1/documents".into(),
        get_op(
            "公文列表",
            json!([{"name": "issue", "in": "query", "schema": {"type": "integer"}}]),
            list.clone(),
        ),
    );
    paths.insert(
        "/api/v1/documents/{id}".into(),
        get_op(
            "公文详情：条款、任务（按权限过滤）、指标、目标、名单",
            json!([path_param("id", "integer")]),
            any_obj.clone(),
        ),
    );
    paths.insert(
        "/api/v1/tasks/{id}".into(),
        get_op(
            "任务详情及其责任领导、牵头单位、责任单位",
            json!([path_param("id", "integer")]),
            any_obj.clone(),
        ),
    );
    paths.insert(
        "/api/v1/units".into(),
        get_op("单位名录", json!([]), list.clone()),
    );
    paths.insert(
        "/api/v1/units/{id}".into(),
        get_op(
            "单位详情及其任务（仅本单位与督查室可见）",
            json!([path_param("id", "string")]),
            any_obj.clone(),
        ),
    );
    paths.insert(
        "/api/v1/leaders".into(),
        get_op(
            "责任领导及其任务数（仅全市性机构可见）",
            json!([]),
            json!({"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "tasks": {"type": "integer"}}}}),
        ),
    );
    paths.insert(
        "/api/v1/users".into(),
        get_op("账号列表（仅管理员）", json!([]), list.clone()),
    );
    paths.insert(
        "/api/v1/audit".into(),
        get_op(
            "最近的审计记录及哈希链核验结果（仅管理员）",
            json!([]),
            json!({"type": "object", "properties": {
                "verification": {"type": "object"}, "entries": {"type": "array", "items": {"type": "object"}}}}),
        ),
    );
    paths.insert(
        "/api/v1/leaders/{name}/tasks".into(),
        get_op(
            "责任领导的任务",
            json!([path_param("name", "string")]),
            list.clone(),
        ),
    );
    paths.insert(
        "/api/v1/search".into(),
        get_op("全文检索（中文按字与双字索引）", json!([{"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 200}}]), list),
    );
    paths.insert(
        "/api/v1/imports".into(),
        json!({"post": {
            "summary": "导入公报：请求体为公报的 UTF-8 文本；需督查室或管理员登录，并在 X-CSRF-Token 头中提供会话的 CSRF 令牌",
            "parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}},
                           {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
            "responses": {"200": {"description": "导入摘要", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "401": error_ref(), "403": error_ref(), "422": error_ref()}
        }}),
    );
    let mut session = get_op("当前登录用户", json!([]), any_obj);
    session["post"] = json!({
        "summary": "登录：成功后设置会话 Cookie，并返回 CSRF 令牌",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "required": ["username", "password"],
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
        "responses": {"200": {"description": "登录成功"}, "401": error_ref(), "422": error_ref(), "429": error_ref()}
    });
    paths.insert("/api/v1/session".into(), session);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "落实 Luoshi API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "政府公报工作落实跟踪系统的 JSON 接口。错误以稳定的错误代码和中文说明返回。"},
        "paths": paths,
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string", "example": "E_NOT_FOUND"}, "message": {"type": "string"}}}}}}}
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
