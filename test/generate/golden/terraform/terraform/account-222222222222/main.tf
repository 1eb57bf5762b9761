terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0"
    }
  }
}

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["222222222222"]
}

resource "aws_iam_role" "preview_ci_oidc" {
  name                 = "preview-ci-oidc"
  path                 = "/roleshift/"
  description          = "github-actions pipeline replacing IAM user preview-ci"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"
        }
        Action = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = {
            "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
            "token.actions.githubusercontent.com:sub" = "repo:acme/web:environment:preview"
          }
        }
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "cloud-platform"
    "roleshift:replaces" = "arn:aws:iam::222222222222:user/preview-ci"
  }
}

resource "aws_iam_role_policy_attachment" "preview_ci_oidc_awslambda_fullaccess" {
  role       = aws_iam_role.preview_ci_oidc.name
  policy_arn = "arn:aws:iam::aws:policy/AWSLambda_FullAccess"
}

resource "aws_iam_role" "report_fn_lambda" {
  name                 = "report-fn-lambda"
  path                 = "/roleshift/"
  description          = "Lambda execution role replacing IAM user report-fn"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "lambda.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
  tags = {
    cost-center          = "CC-1000"
    managed-by           = "roleshift"
    owner                = "cloud-platform"
    "roleshift:replaces" = "arn:aws:iam::222222222222:user/report-fn"
  }
}

resource "aws_iam_role_policy" "report_fn_lambda_permissions" {
  name = "permissions"
  role = aws_iam_role.report_fn_lambda.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "logs:PutLogEvents"
        Resource = "*"
      },
    ]
  })
}

output "preview_ci_oidc_arn" {
  value = aws_iam_role.preview_ci_oidc.arn
}

output "report_fn_lambda_arn" {
  value = aws_iam_role.report_fn_lambda.arn
}
