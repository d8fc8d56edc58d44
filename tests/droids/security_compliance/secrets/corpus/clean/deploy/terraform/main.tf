variable "twelve_data_api_key" {
  type      = string
  sensitive = true
}

variable "broker_password" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret_version" "broker" {
  secret_id     = aws_secretsmanager_secret.broker.id
  secret_string = jsonencode({ password = var.broker_password, apikey = var.twelve_data_api_key })
}

resource "aws_ssm_parameter" "feed_url" {
  name  = "/desk/feed_url"
  type  = "String"
  value = "https://api.twelvedata.com"
}
